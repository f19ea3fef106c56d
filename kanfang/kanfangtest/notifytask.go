package kanfangtest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits of AddNewNotifyTaskByPackageID's form fields, in characters
// (Unicode code points); packageId holds at most MaxFieldLength.
const (
	MaxNotifyConfigIDLength = 32
	MaxPayloadLength        = 255
)

// NotifyTask is a notify task the fake made for AddNewNotifyTaskByPackageID.
type NotifyTask struct {
	ID             string // "task-1", "task-2", … in the order made
	PackageID      string
	NotifyConfigID string
	// HouseTaskID is the package's house task: "housetask-" followed by
	// the package's number, in the order packages were first pushed.
	HouseTaskID  string
	NotifyResult int    // always 1: the fake's receivers accept every push
	ForcePush    bool   // made by a request with forcePush=true
	Payload      string // as received
}

// notifyTaskPayload is the success payload of AddNewNotifyTaskByPackageID.
type notifyTaskPayload struct {
	ID             string `json:"id"`
	NotifyResult   int    `json:"notifyResult"`
	NotifyConfigID string `json:"notifyConfigId"`
	HouseTaskID    string `json:"houseTaskId"`
}

// NotifyTasks returns the notify tasks made for packageID ("" for every
// package), oldest first: one per push without forcePush and one per
// forced push.
func (s *Server) NotifyTasks(packageID string) []NotifyTask {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []NotifyTask
	for _, t := range s.tasks {
		if packageID == "" || t.PackageID == packageID {
			out = append(out, t)
		}
	}
	return out
}

// addNotifyTask serves AddNewNotifyTaskByPackageID: the package is pushed
// once to a configuration unless forcePush is true.
func (s *Server) addNotifyTask(w http.ResponseWriter, r *http.Request, rec *Request) {
	form, ok := s.authorize(w, r, rec)
	if !ok {
		return
	}
	var problems []string
	field := func(name string, required bool, limit int) string {
		vs := form[name]
		switch {
		case len(vs) == 0 || vs[0] == "":
			if required {
				problems = append(problems, name+" is required")
			}
		case len(vs) > 1:
			problems = append(problems, name+" is given more than once")
		case !utf8.ValidString(vs[0]):
			problems = append(problems, name+" is not valid UTF-8")
		case utf8.RuneCountInString(vs[0]) > limit:
			problems = append(problems, fmt.Sprintf("%s is longer than %d characters", name, limit))
		default:
			return vs[0]
		}
		return ""
	}
	pkg := field("packageId", true, MaxFieldLength)
	cfg := field("notifyconfigId", true, MaxNotifyConfigIDLength)
	payload := field("payload", false, MaxPayloadLength)
	force := false
	switch text := field("forcePush", false, MaxFieldLength); strings.ToLower(text) {
	case "true":
		force = true
	case "false", "":
	default:
		problems = append(problems, "forcePush must be true or false")
	}
	if len(problems) > 0 {
		s.reply(w, rec, StateRejected, strings.Join(problems, "; "))
		return
	}

	s.mu.Lock()
	known := !s.cfg.packagesEnabled || s.cfg.packages[pkg]
	var task NotifyTask
	if known {
		task = s.pushLocked(pkg, cfg, payload, force)
	}
	s.mu.Unlock()
	if !known {
		s.reply(w, rec, StateRejected, "unknown packageId: "+pkg)
		return
	}
	s.reply(w, rec, StateOK, notifyTaskPayload{ID: task.ID, NotifyResult: task.NotifyResult, NotifyConfigID: task.NotifyConfigID, HouseTaskID: task.HouseTaskID})
}

// pushLocked returns the task that pushed pkg to cfg, or a new one when
// there is none or force is set.
func (s *Server) pushLocked(pkg, cfg, payload string, force bool) NotifyTask {
	houseTask := ""
	packages := map[string]bool{}
	for _, t := range s.tasks {
		if t.PackageID == pkg {
			houseTask = t.HouseTaskID
			if t.NotifyConfigID == cfg && !force {
				return t // pushed already: not pushed twice
			}
		}
		packages[t.PackageID] = true
	}
	if houseTask == "" {
		houseTask = "housetask-" + strconv.Itoa(len(packages)+1)
	}
	t := NotifyTask{
		ID:             "task-" + strconv.Itoa(len(s.tasks)+1),
		PackageID:      pkg,
		NotifyConfigID: cfg,
		HouseTaskID:    houseTask,
		NotifyResult:   1,
		ForcePush:      force,
		Payload:        payload,
	}
	s.tasks = append(s.tasks, t)
	return t
}
