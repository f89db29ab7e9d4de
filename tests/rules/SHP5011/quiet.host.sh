# quiet: log-level info
docker_installed; daemon_json "$HARDENED_DAEMON"
