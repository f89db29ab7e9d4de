FROM node:20
RUN npm install -g express@4.19.2 && npm ci
