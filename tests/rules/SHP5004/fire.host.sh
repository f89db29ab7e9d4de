# fires: Docker without userns-remap
docker_installed; daemon_json '{"icc": false}'
