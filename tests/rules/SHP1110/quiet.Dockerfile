FROM node:20.11.1-bookworm-slim
ENV NODE_TLS_REJECT_UNAUTHORIZED=1 PYTHONHTTPSVERIFY=1
COPY corp-ca.crt /usr/local/share/ca-certificates/corp-ca.crt
RUN update-ca-certificates && curl -fsSL https://downloads.example.com/tool.tgz -o /tmp/tool.tgz
RUN wget -qO /tmp/x https://downloads.example.com/x && pip install --index-url https://pypi.example.com/simple flask==3.0.2
RUN npm config set strict-ssl true && git -c http.sslVerify=true clone https://git.example.com/app.git /app
