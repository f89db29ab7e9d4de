# fires: userland-proxy true
docker_installed; daemon_json '{"userland-proxy": true}'
