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

// updateResult is the JSON result of property update: the store and the
// fields sent, under the API's names.
type updateResult struct {
	StoreID string            `json:"storeId"`
	Updated map[string]string `json:"updated"`
}

func (e *env) propertyUpdate(ctx context.Context, args []string) int {
	c := newCmdFlags("property update", "--store-id ID [--name …] [--address …] … [flags]",
		`Changes a property company (POST /app/property.updateProperty): only the
fields given are sent and changed; a new --name also renames the company's
admin user. --store-id is required (without it the server would change the
caller's own company). Safe to repeat.`)
	var cfg propertyConfig
	var req property.UpdatePropertyRequest
	fields := []struct {
		p                       *string
		flag, field, api, usage string
	}{
		{&req.StoreID, "store-id", "StoreID", "storeId", "the company's store `id` (required)"},
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
	if code, done := c.parseAPI(e, args, &cfg, true); done {
		return code
	}
	return callAPI(ctx, e, c, cfg.client, func(ctx context.Context, client *property.Client, _ *apiCall) (output, error) {
		if err := client.UpdateProperty(ctx, &req); err != nil {
			return output{}, err
		}
		res := updateResult{StoreID: req.StoreID, Updated: map[string]string{}}
		var names []string
		for _, f := range fields[1:] {
			if *f.p != "" {
				res.Updated[f.api] = *f.p
				names = append(names, f.api)
			}
		}
		return output{res, func(w io.Writer) {
			fmt.Fprintf(w, "company %s updated: %s\n", req.StoreID, strings.Join(names, ", "))
		}}, nil
	})
}

// deleteResult is the JSON result of property delete.
type deleteResult struct {
	StoreID     string `json:"storeId"`
	StoreTypeCd string `json:"storeTypeCd"`
	Deleted     bool   `json:"deleted"`
}

func (e *env) propertyDelete(ctx context.Context, args []string) int {
	c := newCmdFlags("property delete", "--store-id ID [--store-type-cd CODE] [flags]",
		`Deletes a company (POST /app/property.deleteProperty): the server hides it,
deletes its staff users and releases its communities. --store-id is required
(without it the server would delete the caller's own company). NOT repeated:
when the outcome is unknown, check with 'fang property find --store-id ID'.`)
	var cfg propertyConfig
	var req property.DeletePropertyRequest
	c.field(&req.StoreID, "store-id", "StoreID", "the company's store `id` (required)")
	c.field(&req.StoreTypeCd, "store-type-cd", "StoreTypeCd", "its store type `code` (default 800900000003, a property company)")
	if code, done := c.parseAPI(e, args, &cfg, true); done {
		return code
	}
	return callAPI(ctx, e, c, cfg.client, func(ctx context.Context, client *property.Client, _ *apiCall) (output, error) {
		if err := client.DeleteProperty(ctx, &req); err != nil {
			return output{}, err
		}
		res := deleteResult{StoreID: req.StoreID, StoreTypeCd: req.StoreTypeCd, Deleted: true}
		if res.StoreTypeCd == "" {
			res.StoreTypeCd = "800900000003"
		}
		return output{res, func(w io.Writer) { fmt.Fprintf(w, "company %s deleted\n", req.StoreID) }}, nil
	})
}

func (e *env) propertyCommunities(ctx context.Context, args []string) int {
	c := newCmdFlags("property communities", "[--name TEXT] [--community-id ID] [--city-code CODE] [--page N] [--row N] [flags]",
		`Lists communities (GET /app/community.listCommunitys), whose ids save-property
binds with --community-id. Needs no session: the token and credentials may
be left unset.`)
	cfg := propertyConfig{sessionOptional: true}
	var req property.ListCommunitiesRequest
	c.field(&req.Name, "name", "Name", "part of the community's name")
	c.field(&req.CommunityID, "community-id", "CommunityID", "the community `id`, exactly")
	c.field(&req.CityCode, "city-code", "CityCode", "the city `code`, exactly")
	pageFlags(c, &req.Page, &req.Row)
	if code, done := c.parseAPI(e, args, &cfg, true); done {
		return code
	}
	return callAPI(ctx, e, c, cfg.client, func(ctx context.Context, client *property.Client, _ *apiCall) (output, error) {
		resp, err := client.ListCommunities(ctx, &req)
		if err != nil {
			return output{}, err
		}
		return output{resp, func(w io.Writer) {
			fmt.Fprintf(w, "%s (page %d)\n", plural(resp.Total, "community matches", "communities match"), req.Page)
			for _, cm := range resp.Communities {
				fmt.Fprintf(w, "%s  %s  city %s  state %s  %s\n", cm.CommunityID, cm.Name, cm.CityCode, cm.State, cm.Address)
			}
		}}, nil
	})
}

func (e *env) propertyMenuGroups(ctx context.Context, args []string) int {
	c := newCmdFlags("property menu-groups", "[--store-type CODE] [--page N] [--row N] [flags]",
		`Lists menu groups (GET /app/menuGroup.listMenuGroups), whose ids save-property
opens with --group-id. --store-type 800900000003 lists a property company's.`)
	var cfg propertyConfig
	var req property.ListMenuGroupsRequest
	c.field(&req.StoreType, "store-type", "StoreType", "the store type `code` the groups are for")
	pageFlags(c, &req.Page, &req.Row)
	if code, done := c.parseAPI(e, args, &cfg, true); done {
		return code
	}
	return callAPI(ctx, e, c, cfg.client, func(ctx context.Context, client *property.Client, _ *apiCall) (output, error) {
		resp, err := client.ListMenuGroups(ctx, &req)
		if err != nil {
			return output{}, err
		}
		return output{resp, func(w io.Writer) {
			fmt.Fprintf(w, "%s (page %d)\n", plural(resp.Total, "menu group matches", "menu groups match"), req.Page)
			for _, g := range resp.MenuGroups {
				fmt.Fprintf(w, "%s  %s  %s  store type %s\n", g.GID, g.Name, g.Label, g.StoreType)
			}
		}}, nil
	})
}

// pageFlags defines --page and --row, which set the request's Page and
// Row.
func pageFlags(c *cmdFlags, page, row *int) {
	c.IntVar(page, "page", 1, "page, from 1")
	c.note("page", "")
	c.IntVar(row, "row", 10, "rows per page")
	c.note("row", "")
	c.setsField("page", "Page")
	c.setsField("row", "Row")
}
