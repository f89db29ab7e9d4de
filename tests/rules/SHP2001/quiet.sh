new_layer; echo hi > "$L/hello"
cfg '.config.User = "10001:10001"'
