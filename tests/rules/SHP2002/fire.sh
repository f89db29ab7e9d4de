new_layer; echo hi > "$L/hello"
cfg '.config.Env += ["DB_PASSWORD=Str0ng-Passw0rd-91"]'
