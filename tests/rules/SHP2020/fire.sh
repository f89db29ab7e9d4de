new_layer; mkdir -p "$L/usr/bin"; printf '#!/bin/true\n' > "$L/usr/bin/helper"; chmod 4755 "$L/usr/bin/helper"
