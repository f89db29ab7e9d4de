FROM debian:12
RUN useradd -u 1000000 app
RUN apt-get update && apt-get install -y curl=7.88.1-10
RUN apk add curl=8.9.0-r0
RUN echo curl | xargs -r apk add
RUN yum install httpd-2.4.6
RUN zypper install httpd=2.4 && zypper clean
RUN yarn install
RUN wget https://example.com/a.tgz
ADD app.py /app/
COPY a b /dest
CMD nginx -g "daemon off;"
MAINTAINER Jane <jane@example.com>
