# fires: hosts has tcp:// without tlsverify
docker_installed; daemon_json '{"hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2375"]}'
