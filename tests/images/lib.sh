# lib.sh - builds docker-save tarballs for tests with tar, jq and sha256sum (no engine):
# a case script calls new_layer (then writes files under $L), cfg (a jq filter on the
# config) and history; build_image runs it and writes the tarball.
#   new_layer ['RUN created_by']   start a layer; its directory is $L
#   whiteout PATH                   delete PATH (from lower layers) in the current layer
#   opaque DIR                      make DIR opaque in the current layer
#   cfg 'JQ'                        edit the config, e.g. cfg '.config.User = "0"'
#   history 'CREATED_BY'            an empty-layer history step (ENV, ARG, ...)

new_layer() {
	_n=$(( ${_n:-0} + 1 ))
	L=$_W/layer$_n
	mkdir -p "$L"
	_hist+=("$(jq -cn --arg c "${1:-RUN true}" '{created_by: $c}')")
}
whiteout() { mkdir -p "$L/$(dirname "$1")"; : > "$L/$(dirname "$1")/.wh.$(basename "$1")"; }
opaque() { mkdir -p "$L/$1"; : > "$L/$1/.wh..wh..opq"; }
cfg() { _cfg+=("$1"); }
history() { _hist+=("$(jq -cn --arg c "$1" '{created_by: $c, empty_layer: true}')"); }

# build_image CASE_SCRIPT OUT.tar
build_image() {
	local script=$1 out=$2
	_W=$(mktemp -d) _n=0 _cfg=() _hist=() L=
	. "$script" || return 1
	local img=$_W/img diffs=() layers=()
	mkdir -p "$img"
	for i in $(seq 1 "$_n"); do
		tar --sort=name --numeric-owner --xattrs --xattrs-include='security.*' --mtime=@0 \
			-C "$_W/layer$i" -cf "$img/layer$i.tar" .
		diffs+=("sha256:$(sha256sum "$img/layer$i.tar" | cut -d' ' -f1)")
		layers+=("layer$i.tar")
	done
	local filter='.'
	for f in "${_cfg[@]}"; do filter="$filter | $f"; done
	jq -n --argjson d "$(printf '%s\n' "${diffs[@]}" | jq -R . | jq -s .)" \
		--argjson h "$(printf '%s\n' "${_hist[@]}" | jq -s .)" \
		'{architecture: "amd64", os: "linux",
		  config: {User: "1000:1000", Healthcheck: {Test: ["CMD", "/app/health"]}, Env: ["PATH=/usr/bin"]},
		  rootfs: {type: "layers", diff_ids: $d}, history: $h}' | jq "$filter" > "$img/config.json"
	local cfgname
	cfgname=$(sha256sum "$img/config.json" | cut -d' ' -f1).json
	mv "$img/config.json" "$img/$cfgname"
	jq -n --arg c "$cfgname" --argjson l "$(printf '%s\n' "${layers[@]}" | jq -R . | jq -s .)" \
		'[{Config: $c, RepoTags: ["test/case:latest"], Layers: $l}]' > "$img/manifest.json"
	tar --sort=name --mtime=@0 -C "$img" -cf "$out" .
	rm -rf "$_W"
}
