new_layer; echo hi > "$L/hello"
cfg '.config.ExposedPorts = {"8080/tcp": {}}'
