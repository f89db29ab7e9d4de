FROM opensuse/leap:15.6
RUN zypper -n install httpd && zypper clean
