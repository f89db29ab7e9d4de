# quiet: no insecure registries
docker_installed; daemon_json "$HARDENED_DAEMON"
