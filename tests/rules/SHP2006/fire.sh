new_layer 'ADD https://example.com/tool.tar.gz /opt/'; echo hi > "$L/hello"
