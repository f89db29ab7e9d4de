new_layer '|1 NPM_TOKEN=npm_4f9Kq2LmZx8Rt7Vb3Nc6Yd1Hs5Jw0Pa9Ue2G /bin/sh -c npm ci'; echo hi > "$L/hello"
