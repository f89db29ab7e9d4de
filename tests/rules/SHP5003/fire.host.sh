# fires: two users in the docker group
group 'docker:x:998:alice,bob'
