package kanfangtest

import (
	"net/http"
	"strconv"
	"strings"
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
	HouseTaskID string
	// NotifyResult is always 0 (not notified yet): the platform answers
	// before it pushes, as the example of AddNewNotifyTaskByPackageID.md
	// shows, and reports a failed push with a callback.
	NotifyResult int
	ForcePush    bool   // made by a request with forcePush=true
	Payload      string // as received
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
func (s *Server) addNotifyTask(r *http.Request, body []byte, rec *Request) response {
	fields := []formField{
		{"packageId", true, MaxFieldLength}, {"notifyconfigId", true, MaxNotifyConfigIDLength},
		{"payload", false, MaxPayloadLength}, {"forcePush", false, MaxFieldLength},
	}
	v, refused, ok := s.packageForm(r, body, rec, fields, func(v map[string]string) string {
		if f := strings.ToLower(v["forcePush"]); f != "" && f != "true" && f != "false" {
			return "forcePush must be true or false" // any case
		}
		return ""
	})
	if !ok {
		return refused
	}
	s.mu.Lock()
	task := s.pushLocked(v["packageId"], v["notifyconfigId"], v["payload"], strings.EqualFold(v["forcePush"], "true"))
	s.mu.Unlock()
	return reply(StateOK, map[string]any{"id": task.ID, "notifyResult": task.NotifyResult, "notifyConfigId": task.NotifyConfigID, "houseTaskId": task.HouseTaskID})
}

// pushLocked returns the task that pushed pkg to cfg, or a new one when
// there is none or force is set.
func (s *Server) pushLocked(pkg, cfg, payload string, force bool) NotifyTask {
	for _, t := range s.tasks {
		if t.PackageID == pkg && t.NotifyConfigID == cfg && !force {
			return t // pushed already: not pushed twice
		}
	}
	houseTask, ok := s.houseTask[pkg]
	if !ok {
		houseTask = "housetask-" + strconv.Itoa(len(s.houseTask)+1)
		s.houseTask[pkg] = houseTask
	}
	t := NotifyTask{
		ID:             "task-" + strconv.Itoa(len(s.tasks)+1),
		PackageID:      pkg,
		NotifyConfigID: cfg,
		HouseTaskID:    houseTask,
		NotifyResult:   0, // not notified: the push comes after the answer
		ForcePush:      force,
		Payload:        payload,
	}
	s.tasks = append(s.tasks, t)
	return t
}
