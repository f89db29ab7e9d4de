FROM debian:12
RUN curl -fsSLk https://downloads.example.com/tool.tgz -o /tmp/tool.tgz
RUN wget --no-check-certificate -qO /tmp/x https://downloads.example.com/x && curl -k https://downloads.example.com/y
