package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/fangsdk/fang/property"
)

// The property subcommands that manage a company after it is created, and
// list what a save binds it to.

func (e *env) propertyUpdate(ctx context.Context, args []string) int {
	c := newCmd(e, "property update", `--store-id ID [--name …] [--address …] … [flags]

Changes a property company (POST /app/property.updateProperty): only the
fields given are sent and changed; a new --name also renames the company's
admin user. --store-id is required (without it the server would change the
caller's own company). Safe to repeat.`)
	var req property.UpdatePropertyRequest
	c.field(&req.StoreID, "store-id", "StoreID", "the company's store `id` (required)")
	fields := []struct {
		p                       *string
		flag, field, api, usage string
	}{
		{&req.Name, "name", "Name", "name", "new company `name` (≤ 50 characters; renames the admin user)"},
		{&req.Address, "address", "Address", "address", "new address (≤ 200 characters)"},
		{&req.Tel, "tel", "Tel", "tel", "new mobile number (≤ 11 characters)"},
		{&req.Corporation, "corporation", "Corporation", "corporation", "new legal representative (≤ 50 characters)"},
		{&req.FoundingTime, "founding-time", "FoundingTime", "foundingTime", "new founding `date`, YYYY-MM-DD"},
		{&req.NearbyLandmarks, "nearby-landmarks", "NearbyLandmarks", "nearByLandmarks", "new nearby landmark (≤ 200 characters)"},
		{&req.MapX, "map-x", "MapX", "mapX", "new map coordinate x (≤ 20 characters)"},
		{&req.MapY, "map-y", "MapY", "mapY", "new map coordinate y (≤ 20 characters)"},
	}
	for _, f := range fields {
		c.field(f.p, f.flag, f.field, f.usage)
	}
	return c.runProperty(ctx, args, session, func(ctx context.Context, client *property.Client) (output, error) {
		err := client.UpdateProperty(ctx, &req)
		res := struct {
			StoreID string            `json:"storeId"`
			Updated map[string]string `json:"updated"`
		}{req.StoreID, map[string]string{}}
		var names []string
		for _, f := range fields {
			if *f.p != "" {
				res.Updated[f.api] = *f.p
				names = append(names, f.api)
			}
		}
		return output{res, func(w io.Writer) {
			fmt.Fprintf(w, "company %s updated: %s\n", req.StoreID, strings.Join(names, ", "))
		}}, err
	})
}

func (e *env) propertyDelete(ctx context.Context, args []string) int {
	c := newCmd(e, "property delete", `--store-id ID [--store-type-cd CODE] [flags]

Deletes a company (POST /app/property.deleteProperty): the server hides it,
deletes its staff users and releases its communities. --store-id is required
(without it the server would delete the caller's own company). NOT repeated:
when the outcome is unknown, check with 'fang property find --store-id ID'.`)
	var req property.DeletePropertyRequest
	c.field(&req.StoreID, "store-id", "StoreID", "the company's store `id` (required)")
	c.field(&req.StoreTypeCd, "store-type-cd", "StoreTypeCd", "its store type `code` (default 800900000003, a property company)")
	return c.runProperty(ctx, args, session, func(ctx context.Context, client *property.Client) (output, error) {
		err := client.DeleteProperty(ctx, &req)
		res := struct {
			StoreID     string `json:"storeId"`
			StoreTypeCd string `json:"storeTypeCd"`
			Deleted     bool   `json:"deleted"`
		}{req.StoreID, req.StoreTypeCd, true}
		if res.StoreTypeCd == "" {
			res.StoreTypeCd = "800900000003"
		}
		return output{res, func(w io.Writer) { fmt.Fprintf(w, "company %s deleted\n", req.StoreID) }}, err
	})
}

func (e *env) propertyFind(ctx context.Context, args []string) int {
	c := newCmd(e, "property find", `(--tel NO | --name TEXT | --store-id ID) [flags]

Lists property companies (GET /app/property.listProperty): by --tel
exactly, by --name as a substring, or by --store-id. This is how to check
whether a save whose outcome was unknown created the company before trying
again. The server shows the platform operator every company, any other
account only its own.`)
	var req property.ListPropertiesRequest
	c.field(&req.Tel, "tel", "Tel", "the administrator's mobile number, exactly")
	c.field(&req.Name, "name", "Name", "part of the company's name")
	c.field(&req.StoreID, "store-id", "StoreID", "the company's store `id`")
	return c.list(ctx, args, session, &req.Page, &req.Row, func(ctx context.Context, client *property.Client) (output, error) {
		resp, err := client.ListProperties(ctx, &req)
		if err != nil {
			return output{}, err
		}
		res := struct {
			Total      int                 `json:"total"`
			Properties []property.Property `json:"properties"`
		}{resp.Total, append([]property.Property{}, resp.Properties...)}
		return listed(res, resp.Total, req.Page, "company matches", "companies match", resp.Properties, func(p property.Property) string {
			return fmt.Sprintf("%s  %s  tel %s  %s", p.StoreID, p.Name, p.Tel, p.Address)
		}), nil
	})
}

func (e *env) propertyCommunities(ctx context.Context, args []string) int {
	c := newCmd(e, "property communities", `[--name TEXT] [--community-id ID] [--city-code CODE] [--page N] [--row N] [flags]

Lists communities (GET /app/community.listCommunitys), whose ids save-property
binds with --community-id. Needs no session: the token and credentials may
be left unset.`)
	var req property.ListCommunitiesRequest
	c.field(&req.Name, "name", "Name", "part of the community's name")
	c.field(&req.CommunityID, "community-id", "CommunityID", "the community `id`, exactly")
	c.field(&req.CityCode, "city-code", "CityCode", "the city `code`, exactly")
	return c.list(ctx, args, optional, &req.Page, &req.Row, func(ctx context.Context, client *property.Client) (output, error) {
		resp, err := client.ListCommunities(ctx, &req)
		if err != nil {
			return output{}, err
		}
		return listed(resp, resp.Total, req.Page, "community matches", "communities match", resp.Communities, func(cm property.Community) string {
			return fmt.Sprintf("%s  %s  city %s  state %s  %s", cm.CommunityID, cm.Name, cm.CityCode, cm.State, cm.Address)
		}), nil
	})
}

func (e *env) propertyMenuGroups(ctx context.Context, args []string) int {
	c := newCmd(e, "property menu-groups", `[--store-type CODE] [--page N] [--row N] [flags]

Lists menu groups (GET /app/menuGroup.listMenuGroups), whose ids save-property
opens with --group-id. --store-type 800900000003 lists a property company's.`)
	var req property.ListMenuGroupsRequest
	c.field(&req.StoreType, "store-type", "StoreType", "the store type `code` the groups are for")
	return c.list(ctx, args, session, &req.Page, &req.Row, func(ctx context.Context, client *property.Client) (output, error) {
		resp, err := client.ListMenuGroups(ctx, &req)
		if err != nil {
			return output{}, err
		}
		return listed(resp, resp.Total, req.Page, "menu group matches", "menu groups match", resp.MenuGroups, func(g property.MenuGroup) string {
			return fmt.Sprintf("%s  %s  %s  store type %s", g.GID, g.Name, g.Label, g.StoreType)
		}), nil
	})
}

// list runs a list command c: it defines --page and --row (the request's
// page and row), parses args and calls do with the client.
func (c *cmd) list(ctx context.Context, args []string, n need, page, row *int,
	do func(ctx context.Context, client *property.Client) (output, error)) int {
	c.IntVar(page, "page", 1, "page, from 1")
	c.IntVar(row, "row", 10, "rows per page")
	c.fields["Page"], c.fields["Row"] = "page", "row"
	return c.runProperty(ctx, args, n, do)
}

// listed is the output of a list: value with --json, else how many match
// and the line of each item.
func listed[T any](value any, total, page int, one, many string, items []T, line func(T) string) output {
	return output{value, func(w io.Writer) {
		if total == 1 {
			fmt.Fprintf(w, "1 %s (page %d)\n", one, page)
		} else {
			fmt.Fprintf(w, "%d %s (page %d)\n", total, many, page)
		}
		for _, item := range items {
			fmt.Fprintln(w, line(item))
		}
	}}
}
