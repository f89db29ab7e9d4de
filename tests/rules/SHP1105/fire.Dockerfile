FROM google/cloud-sdk:470.0.0
RUN --mount=type=secret,id=gcp gcloud auth activate-service-account --key-file=/run/secrets/gcp && gsutil cp gs://b/app.tgz /app.tgz
RUN --mount=type=secret,id=reg docker login -u ci --password-stdin registry.example.com < /run/secrets/reg && docker pull registry.example.com/x:1
RUN aws configure set region eu-west-1 && aws configure set aws_secret_access_key "$(cat /run/secrets/aws)"
