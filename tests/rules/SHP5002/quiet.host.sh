# quiet: a rootless engine's socket owned by its user
sock /run/user/1000/docker.sock 600 1000:1000
