new_layer; mkdir -p "$L/usr/bin"; printf '#!/bin/true\n' > "$L/usr/bin/pinger"
