# fires: live-restore false
docker_installed; daemon_json '{"live-restore": false}'
