new_layer; mkdir -p "$L/usr/bin"; printf 'app\n' > "$L/usr/bin/app"
new_layer 'RUN apt-get purge apt'; mkdir -p "$L/usr/bin"; printf 'apt\n' > "$L/usr/bin/apt-get"
new_layer 'RUN rm apt-get'; whiteout usr/bin/apt-get
