new_layer; mkdir -p "$L/app"
printf 'token: ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n' > "$L/app/config.yml"
