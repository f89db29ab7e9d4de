# fires: an insecure registry
docker_installed; daemon_json '{"insecure-registries": ["registry.lan:5000"]}'
