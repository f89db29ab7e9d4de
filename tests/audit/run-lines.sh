# the way this host's services were started
sudo docker run -d --name cache --read-only --cap-drop ALL --security-opt no-new-privileges \
  --memory 256m --cpus 0.5 --pids-limit 100 --user 999 -p 127.0.0.1:6379:6379 redis:7.2.4

docker run -d --name agent --pid=host --net=host \
  --mount type=bind,source=/,target=/host,readonly,bind-propagation=rshared \
  -v /var/lib/docker:/var/lib/docker datadog/agent:7
