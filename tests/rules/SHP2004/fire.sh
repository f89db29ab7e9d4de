new_layer; echo hi > "$L/hello"
cfg '.config.ExposedPorts = {"22/tcp": {}}'
