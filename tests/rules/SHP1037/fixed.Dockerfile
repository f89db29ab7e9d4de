FROM centos:7
RUN yum -y install httpd-2.4.6 && yum clean all
