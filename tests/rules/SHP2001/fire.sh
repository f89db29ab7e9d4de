new_layer; echo hi > "$L/hello"
cfg '.config.User = ""'
