# fires: no daemon.json at all (defaults)
docker_installed
