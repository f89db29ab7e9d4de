# quiet: userland-proxy false
docker_installed; daemon_json "$HARDENED_DAEMON"
