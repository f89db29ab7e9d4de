new_layer; mkdir -p "$L/app"
printf 'token: ghp_Zq8LmX2vN5bR7tY1cK4wH9sD3fG6jA0pE2uI\n' > "$L/app/config.yml"
