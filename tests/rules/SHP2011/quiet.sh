new_layer 'COPY .env /app/'; mkdir -p "$L/app"
printf 'LOG_LEVEL=debug\n' > "$L/app/.env"
new_layer 'RUN rm /app/.env'; whiteout app/.env
