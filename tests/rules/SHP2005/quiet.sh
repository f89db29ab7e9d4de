new_layer; echo hi > "$L/hello"
