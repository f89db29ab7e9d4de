# quiet: tcp with tlsverify
docker_installed; daemon_json '{"hosts": ["tcp://0.0.0.0:2376"], "tlsverify": true}'
