new_layer; mkdir -p "$L/usr/bin"; printf '#!/bin/true\n' > "$L/usr/bin/pinger"
setcap cap_net_raw+ep "$L/usr/bin/pinger"
