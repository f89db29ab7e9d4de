# fires: icc not disabled (the default)
docker_installed; daemon_json '{}'
