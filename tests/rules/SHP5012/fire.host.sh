# fires: experimental true
docker_installed; daemon_json '{"experimental": true}'
