new_layer; echo hi > "$L/hello"
cfg '.config.Env += ["DB_PASSWORD_FILE=/run/secrets/db", "LANG=C.UTF-8"]'
