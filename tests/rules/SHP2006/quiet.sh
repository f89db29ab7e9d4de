new_layer 'COPY file:0123 in /opt/'; echo hi > "$L/hello"
