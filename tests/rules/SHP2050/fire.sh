new_layer; mkdir -p "$L/etc"; ln -s ../../../../../root/.ssh/authorized_keys "$L/etc/keys"
