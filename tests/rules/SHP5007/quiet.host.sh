# quiet: no-new-privileges true
docker_installed; daemon_json "$HARDENED_DAEMON"
