new_layer; echo hi > "$L/hello"
cfg 'del(.config.Healthcheck)'
