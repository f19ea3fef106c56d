// Package httpmock shows how a service that depends on fang is tested
// without a network: once with github.com/jarcoal/httpmock responders
// activated on the http.Client given to fang (WithHTTPClient), and once
// with fang's in-process fakes (kanfangtest, propertytest). Read
// service_test.go.
package httpmock

import (
	"context"
	"errors"
	"fmt"

	"github.com/fangsdk/fang/kanfang"
	"github.com/fangsdk/fang/property"
)

// Onboarding is a user's service: it publishes a listing's panorama to the
// Anjuke store and registers the property company that manages it.
type Onboarding struct {
	Kanfang  *kanfang.Client
	Property *property.Client
}

// Result is what Onboard did.
type Result struct {
	AnjukeBianHao string
	TransactionID string
	AlreadyHadCo  bool // the community already had a company (小区已经入驻; code -2 in the seed)
}

// Onboard sets the package's Anjuke number and creates the company. A
// community that already has a company is not an error for this service.
func (o *Onboarding) Onboard(ctx context.Context, packageID, bianHao string, company *property.SavePropertyRequest) (*Result, error) {
	put, err := o.Kanfang.PutAnjukeBianHao(ctx, &kanfang.PutAnjukeBianHaoRequest{PackageID: packageID, AnjukeBianHao: bianHao})
	if err != nil {
		return nil, fmt.Errorf("publishing package %s: %w", packageID, err)
	}
	res := &Result{AnjukeBianHao: put.AnjukeBianHao}
	saved, err := o.Property.SaveProperty(ctx, company)
	var perr *property.Error
	switch {
	case errors.Is(err, property.ErrCommunityAlreadySettled) && errors.As(err, &perr):
		res.AlreadyHadCo, res.TransactionID = true, perr.TransactionID
	case err != nil:
		return nil, fmt.Errorf("registering company %s: %w", company.Name, err)
	default:
		res.TransactionID = saved.TransactionID
	}
	return res, nil
}
