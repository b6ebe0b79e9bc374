# A broken release of lab 03's image, for lab 04's automatic rollback: the web starts, but on
# another port than the one its healthcheck asks, so it never gets healthy. Build it on top of
# the image in use, with no context (the Dockerfile alone, on stdin):
#   docker build -t gps-workshop/lab03-pubsub:broken - < labs/04-orchestration/broken.Dockerfile
#   docker build --build-arg TAG=v2 -t gps-workshop/lab03-pubsub:broken - < labs/04-orchestration/broken.Dockerfile
ARG TAG=latest
FROM gps-workshop/lab03-pubsub:${TAG}
# The kind of mistake a release can carry: a setting changed in the image, not in the code.
ENV PORT=8599
