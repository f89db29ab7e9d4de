FROM debian:12
RUN curl -fsSL https://downloads.example.com/tool.tgz -o /tmp/tool.tgz
RUN wget -qO /tmp/x https://downloads.example.com/x && curl https://downloads.example.com/y
