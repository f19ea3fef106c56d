package sign

import (
	"crypto/md5"
	"encoding/hex"
)

// HCPasswordSalt is what HC appends to a password before hashing it
// (AuthenticationFactory.PASSWD_SALT in the platform's source).
const HCPasswordSalt = "hc@java110"

// HCPassword returns md5hex(md5hex(password + "hc@java110")), lower-case hex
// both times: what HC stores for a user's password and compares the passwd
// of login.pcUserLogin with (AuthenticationFactory.passwdMd5). A client
// sends this hash, except to the platform's own web application
// (app-id 992020022270580001), whose server hashes the password itself.
func HCPassword(password string) string {
	inner := md5.Sum([]byte(password + HCPasswordSalt))
	outer := md5.Sum([]byte(hex.EncodeToString(inner[:])))
	return hex.EncodeToString(outer[:])
}
