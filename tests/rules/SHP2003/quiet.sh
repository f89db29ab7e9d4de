new_layer '|1 NODE_ENV=production /bin/sh -c npm ci'; echo hi > "$L/hello"
