# quiet: live-restore true
docker_installed; daemon_json "$HARDENED_DAEMON"
