new_layer 'COPY .env /app/'; mkdir -p "$L/app"
printf 'AWS_ACCESS_KEY_ID=AKIA2E0A8F3B244C9986\nAWS_SECRET_ACCESS_KEY=Zx9Lq2Wm8Rt5Vb7Nc3Yd6Hs1Jw4Pa0Ue2GkT8fQ3\n' > "$L/app/.env"
new_layer 'RUN rm /app/.env'; whiteout app/.env
