# lang-image.bash - the case script (for images/lib.sh) of an image with npm and Python
# packages, shared by sbom.bats and vuln.bats.

case_lang() {
	new_layer 'RUN npm install && pip install PyYAML requests'
	mkdir -p "$L/etc" "$L/app/node_modules/lodash/test/fixture" "$L/app/node_modules/@types/node" \
		"$L/app/node_modules/broken" "$L/app/node_modules/lodash/node_modules/ms" \
		"$L/usr/lib/python3.11/site-packages/PyYAML-5.3.1.dist-info" \
		"$L/usr/lib/python3/dist-packages/requests-2.19.0.egg-info"
	printf 'ID=alpine\nVERSION_ID=3.18.4\n' > "$L/etc/os-release"
	echo '{"name": "lodash", "version": "4.17.20", "license": "MIT"}' > "$L/app/node_modules/lodash/package.json"
	echo '{"name": "ms", "version": "2.1.2", "licenses": [{"type": "MIT"}]}' > "$L/app/node_modules/lodash/node_modules/ms/package.json"
	echo '{"name": "fixture", "version": "1.0.0"}' > "$L/app/node_modules/lodash/test/fixture/package.json"
	echo '{"name": "@types/node", "version": "20.1.0", "license": {"type": "MIT"}}' > "$L/app/node_modules/@types/node/package.json"
	echo '{"name": "broken",' > "$L/app/node_modules/broken/package.json"
	echo '{"name": "app", "version": "1.0.0"}' > "$L/app/package.json"
	printf 'Metadata-Version: 2.1\nName: PyYAML\nVersion: 5.3.1\nLicense: MIT\n\nName: not-a-header\n' \
		> "$L/usr/lib/python3.11/site-packages/PyYAML-5.3.1.dist-info/METADATA"
	printf 'Metadata-Version: 1.1\nName: requests\nVersion: 2.19.0\nLicense: Apache 2.0\n' \
		> "$L/usr/lib/python3/dist-packages/requests-2.19.0.egg-info/PKG-INFO"
	new_layer 'RUN npm uninstall lodash && npm install express'
	whiteout app/node_modules/lodash
	mkdir -p "$L/app/node_modules/express"
	echo '{"name": "express", "version": "4.18.2", "license": "MIT"}' > "$L/app/node_modules/express/package.json"
}
