new_layer 'COPY server.p12 /app/conf/'; mkdir -p "$L/app/conf"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$L/k.pem" -out "$L/c.pem" -subj /CN=app -days 2 2>/dev/null
openssl pkcs12 -export -in "$L/c.pem" -inkey "$L/k.pem" -passout pass:changeit -out "$L/app/conf/server.p12"
rm "$L/k.pem" "$L/c.pem"
