# fires: log-level debug
docker_installed; daemon_json '{"log-level": "debug"}'
