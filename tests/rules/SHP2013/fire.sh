new_layer 'RUN useradd app && echo app:hunter2 | chpasswd'; mkdir -p "$L/etc"
printf 'root:*:19700:0:99999:7:::\napp:%s:19700:0:99999:7:::\n' '$6$Qx3vB9aa$QJAozShsX/1Hnc0m0RcDxsjHbvFSnmGGgNSL7scE39IOiE2y79CbwqABELoohLCrrqGv5Kw.hCc0bRYtgzBKE/' > "$L/etc/shadow"
